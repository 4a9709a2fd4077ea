"""Attacks on the whole application, across its packages: hostile inputs on every endpoint, who
may do what (the role matrices), generated requests against the API schema, the server killed
mid-request, what public search and photo uploads let through."""
