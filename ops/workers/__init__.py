"""The workers: the processes (or, embedded, threads) that run beside the APIs, side by side.

The relay publishes the event store to Kafka; the follower (embedded) and the Kafka projector
(production) feed the projections; the notifier turns events into notifications and delivers
them; the scheduler sends the timed commands. All but the scheduler (whose jobs wait their turn)
run the loop of ``ops.workers.loop``, which survives every fault; ``ops.workers.metrics`` is what
they report at scrape time.
"""
