"""fbca-harness: the reference forwarding engine, scenario replay, adapters and load."""
