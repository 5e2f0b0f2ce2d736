"""The machinery that runs the blocks over time.

state.py (the state and constants), step.py (one time step), setup.py (settings and
the 2026 state), loop.py (Heun steps and the NumPy loop), jax_backend.py (the same
loop compiled with JAX), run.py (``integrate``: chooses the backend), outputs.py (the
derived series) and milestones.py (with milestones.toml).
"""
