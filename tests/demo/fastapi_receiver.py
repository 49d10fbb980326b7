"""Demo receiver: a FastAPI app using the installed wheel, one route per provider, configured
from tests/receivers.json. Usage: python fastapi_receiver.py PORT"""

import json
import sys
from pathlib import Path
from typing import Any, Dict

import uvicorn
from fastapi import Depends, FastAPI

import hookproof
from hookproof.fastapi import WebhookDependency

providers = json.loads((Path(__file__).resolve().parents[1] / "receivers.json").read_text())["providers"]
app = FastAPI()


def route(provider: str, dep: WebhookDependency) -> None:
    async def view(event: hookproof.Event = Depends(dep)) -> Dict[str, Any]:
        return {"accepted": True, "event_types": event["event_types"], "resources": event["resources"]}

    app.post(f"/webhooks/{provider}")(view)


for name, setup in providers.items():
    route(name, WebhookDependency(hookproof.Verifier(name, **setup["options"])))

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
