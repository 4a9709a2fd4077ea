"""Citizen accounts on the API: sign-in (/auth/...) and "My Pracha" (/me...)."""

from ninja import Router

from pracha.api.citizens import me, signin

router = Router()
router.add_router("", signin.router)
router.add_router("", me.router)
