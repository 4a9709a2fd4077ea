"""Life-event journeys on the API: the public guides (/life-events) and a citizen's journeys
(/journeys, citizen bearer token)."""

from ninja import Router

from pracha.api.lifeevents import guides, journeys

router = Router(tags=["life events"])
router.add_router("", guides.router)
router.add_router("", journeys.router)
