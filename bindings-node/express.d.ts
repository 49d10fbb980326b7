// The ES module entry's types: declared in express.d.cts (see index.d.ts for why).
export * from './express.cjs';
import { webhook } from './express.cjs';
export default webhook;
