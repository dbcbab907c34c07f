// The stack and the infrastructure tests each start real servers; on a two-core agent they
// run one collection at a time so that start-up timeouts measure faults, not contention.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
