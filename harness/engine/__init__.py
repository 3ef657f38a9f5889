"""The reference forwarding engine: mParticle's Facebook Audience integration.

`ReferenceEngine` turns mParticle audience messages into Graph API calls the way
mParticle documents its Facebook Audience integration; docs/behaviour.md lists
every rule with its source.

    settings    the settings table; string maps parsed into ConnectionSettings
    messages    JSON Schema validation (schemas/), reading messages, responses
    rows        downstream audiences and the rows one user gives each
    queue       the bulk-forwarding queue of one connection
    graph       Graph calls: JSON bodies, error classification, retries, logging
    connection  one connection: downstream ids, queue, uploads, fault, resume
    engine      ReferenceEngine: messages and control messages in, answers out
    errors      the exception tree
"""

from harness.engine.engine import ReferenceEngine

__all__ = ["ReferenceEngine"]
