// One cluster at a time: clusters share the machine's Docker engine and its 2 cores, and a cluster's start-up
// sweep of stale test containers must never meet another live cluster's containers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
