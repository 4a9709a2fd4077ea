from django.urls import path

from pracha.line import views

urlpatterns = [path("webhook", views.webhook, name="line-webhook")]
