"""Turns a connector's discovered catalog into the catalog it reads with.

  catalog.py airbyte DISCOVER_OUTPUT STREAM...  > configured_catalog.json
  catalog.py singer  DISCOVERED_CATALOG STREAM... > properties.json

Airbyte: the CATALOG message of `discover`, each named stream in full refresh (incremental when
that is all it supports). Singer: the named streams and all their fields marked selected.
"""

import json
import sys


def airbyte(path, names):
    catalog = None
    with open(path) as f:
        for line in f:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("type") == "CATALOG":
                catalog = msg["catalog"]
    if catalog is None:
        sys.exit(f"no CATALOG message in {path}")
    streams = []
    for s in catalog["streams"]:
        if s["name"] not in names:
            continue
        modes = s.get("supported_sync_modes", ["full_refresh"])
        entry = {"stream": s, "destination_sync_mode": "append"}
        if "full_refresh" in modes:
            entry["sync_mode"] = "full_refresh"
        else:
            entry["sync_mode"] = "incremental"
            entry["cursor_field"] = s.get("default_cursor_field", [])
        streams.append(entry)
    missing = set(names) - {e["stream"]["name"] for e in streams}
    if missing:
        sys.exit(f"streams not discovered: {sorted(missing)}")
    return {"streams": streams}


def singer(path, names):
    with open(path) as f:
        catalog = json.load(f)
    streams = []
    for s in catalog["streams"]:
        if s["tap_stream_id"] not in names:
            continue
        for m in s.get("metadata", []):
            m["metadata"]["selected"] = True
        streams.append(s)
    missing = set(names) - {s["tap_stream_id"] for s in streams}
    if missing:
        sys.exit(f"streams not discovered: {sorted(missing)}")
    return {"streams": streams}


if __name__ == "__main__":
    kind, path, names = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    json.dump({"airbyte": airbyte, "singer": singer}[kind](path, names), sys.stdout, indent=1)
