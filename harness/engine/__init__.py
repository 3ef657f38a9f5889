"""The reference forwarding engine: mParticle's Facebook Audience integration.

`ReferenceEngine` turns mParticle audience messages into Graph API calls the way
mParticle documents its Facebook Audience integration; docs/behaviour.md lists
every rule with its source. Errors are drawn in `harness.engine.errors`.
"""

from harness.engine.engine import ReferenceEngine

__all__ = ["ReferenceEngine"]
