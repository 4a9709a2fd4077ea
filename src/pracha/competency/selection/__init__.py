"""Which item comes next: fixed forms drawn at random per officer, and the adaptive choice
(maximum information, content balancing, randomesque and Sympson-Hetter exposure control)
with its stopping rules. Pure functions over `irt.Pool`; the services and the simulation
share them."""
