-- Which process holds a lease (host, process id and start time), so that a process on the same
-- host can see that the holder is gone and take the user over at once instead of waiting for the
-- lease to expire. Null for leases taken before this column existed.
ALTER TABLE sync_lease ADD COLUMN holder VARCHAR(300);
