"""Life-event journeys (issue 18): having a baby, moving house, across agencies, told once.

Journeys are data (`data/life-events/*.toml`, checked by `templates`, stored as versioned
`LifeEvent` rows by `loader`). A citizen's `Journey` walks the steps; a step submitted to an
agency becomes a private service request (a cases.Case of kind `service_request`) in that
agency's inbox, never public, and closing it as done completes the step.
"""
