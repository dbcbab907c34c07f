// Every class shares one set of real servers (EventServicesFixture); on a two-core agent the
// classes run one at a time so that delivery deadlines measure faults, not contention.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
