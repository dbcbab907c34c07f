// The chart checks are quick and independent; the podman run is one long test with a fixture of its own.
[assembly: CollectionBehavior(DisableTestParallelization = false)]
