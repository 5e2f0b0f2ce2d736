"""The machinery that runs the blocks over time.

state.py (the state and constants), step.py (the rates at a state: ``observe``),
advance.py (the stocks at t + dt), setup.py (settings and the 2026 state), loop.py (Heun
steps and the NumPy loop), jax_backend.py (the same loop compiled with JAX), run.py
(``integrate``: chooses the backend), outputs.py (the derived series) and milestones.py
(with milestones.toml).
"""
