"""The integrated model: ``blocks`` (the eight economic blocks) and ``engine`` (state,
step, run set-up, loop, backends, outputs, milestones). ``engine`` imports ``blocks``,
never the reverse, and there is no import cycle (tests/model/test_layout.py).
"""
