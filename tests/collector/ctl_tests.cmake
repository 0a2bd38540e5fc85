# ctl tests.
