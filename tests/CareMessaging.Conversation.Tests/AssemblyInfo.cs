// One running service over real PostgreSQL and RabbitMQ serves every test; tests that stop the
// broker must not overlap with others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
