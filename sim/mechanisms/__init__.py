"""Mechanisms: one module per mechanism of a private pool, and nothing else.

Each module's docstring names the scenario keys it reads and the user arrays it changes.
acquisition, containers, groups, messaging, offers, service, staff, washback, leaving,
purchases, referral, network.

May import: `sim.core`, and each other.
"""
