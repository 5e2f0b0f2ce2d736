"""The eight economic blocks of the integrated model, in flow order.

1. compute supply (compute.py): AI capex buys hardware under a power ceiling
2. software (software.py): semi-endogenous software progress
3. training (training.py): the largest training run's share of the fleet
4. capabilities (capabilities.py): task thresholds, runtime costs, time horizons
5. AI labour (labour.py): AI workers per task from the compute running them
6. adoption (adoption.py; adoption_start.py, the 2026 state; adoption_dense.py, the
   dense form for the JAX backend)
7. economy (economy.py): task-CES output with optimal human allocation
8. investment (investment.py): the AI capex share of GWP

The blocks are functions of arrays; they import nothing from ``takeoff.model.engine``.
"""
