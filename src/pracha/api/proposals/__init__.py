"""The proposals API: public reading, citizens' actions, officers' answers and results."""

from ninja import Router

from pracha.api.proposals import citizen, officer, public

router = Router(tags=["proposals"])
router.add_router("", public.router)
router.add_router("", citizen.router)
router.add_router("", officer.router)
