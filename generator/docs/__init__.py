"""The operations docs of a generated repository: links, anchors and runbook coverage."""
