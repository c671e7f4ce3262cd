"""The production smoke test (`make smoke`): a real server, a real flow, over HTTP."""
