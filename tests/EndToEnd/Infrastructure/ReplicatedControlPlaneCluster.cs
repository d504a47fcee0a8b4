namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// The testbed's three hosts under three control planes (one Orleans cluster, APIs on 10.231.0.1, each its own port)
/// over a three-member etcd on loopback: agents get `--api` with all three, `orc` ORC_SERVER with all three.
/// </summary>
public sealed class ReplicatedControlPlaneCluster() : MultiHostCluster(3, controlPlanes: 3, etcdMembers: 3);
