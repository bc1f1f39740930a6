"""Read models of the registry for evaluators: time travel, what-if, exports, indicators.

Tables live in `<data>/views.sqlite3`, maintained by eventsourcing's ProjectionRunner; see
`registry.readmodels.api` for the functions the command line and the web interface call.
"""

from __future__ import annotations

from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)
