// One stack and one browser for the whole assembly; tests run one at a time against them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
