namespace Orchestrator.Contracts;

/// <summary>How replicas are spread or packed across nodes: <c>spec.placement</c> of a Service.</summary>
public enum PlacementStrategy
{
    /// <summary>Least allocated first: load evens out and a lost machine takes few replicas with it.</summary>
    Spread,
    /// <summary>Most allocated first: fill machines before starting new ones, so whole machines stay free.</summary>
    Binpack,
}

/// <summary>
/// Where a Service's replicas may go and which nodes they prefer: Kubernetes' nodeSelector, nodeAffinity,
/// tolerations, inter-pod (anti-)affinity and topology spread, and Nomad's spread/binpack, in one block.
/// Every list is empty and every limit unset by default, which places anywhere with the spread strategy.
/// </summary>
public sealed record PlacementSpec
{
    /// <summary>The topology key whose value is the node's own name, so each node is its own domain.</summary>
    public const string NodeNameKey = "node.name";

    public PlacementStrategy Strategy { get; init; } = PlacementStrategy.Spread;
    /// <summary>Every label here must be on the node with this value.</summary>
    public Dictionary<string, string> NodeSelector { get; init; } = new();
    /// <summary>Every expression must hold for the node.</summary>
    public List<NodeConstraint> Constraints { get; init; } = new();
    public List<Toleration> Tolerations { get; init; } = new();
    /// <summary>At most this many replicas of the Service on one node; null = no limit.</summary>
    public int? MaxPerNode { get; init; }
    /// <summary>Be near replicas whose service labels match.</summary>
    public AffinitySpec Affinity { get; init; } = new();
    /// <summary>Stay away from replicas whose service labels match.</summary>
    public AffinitySpec AntiAffinity { get; init; } = new();
    public List<TopologySpreadConstraint> TopologySpread { get; init; } = new();
}

public enum ConstraintOperator { In, NotIn, Exists, DoesNotExist }

/// <summary>A Kubernetes nodeAffinity match expression; <see cref="Key"/> is a node label or <c>node.name</c>.</summary>
public sealed record NodeConstraint
{
    public string Key { get; init; } = "";
    public ConstraintOperator Operator { get; init; }
    /// <summary>Required for In and NotIn, empty for Exists and DoesNotExist.</summary>
    public List<string> Values { get; init; } = new();
}

/// <summary>Hard rules (<see cref="Required"/>) filter nodes; soft ones (<see cref="Preferred"/>) add to their score.</summary>
public sealed record AffinitySpec
{
    public List<AffinityTerm> Required { get; init; } = new();
    public List<AffinityTerm> Preferred { get; init; } = new();
}

/// <summary>
/// Replicas (of any service in the same namespace) whose service labels carry every entry of <see cref="LabelSelector"/>,
/// counted per topology domain: the nodes that share a value of <see cref="TopologyKey"/> (a node label, or
/// <c>node.name</c> for the node itself). A node without the label is in no domain.
/// </summary>
public sealed record AffinityTerm
{
    /// <summary>Relative importance of a preferred term, 1..100; 0 for required terms.</summary>
    public int Weight { get; init; }
    public Dictionary<string, string> LabelSelector { get; init; } = new();
    public string TopologyKey { get; init; } = "";
}

/// <summary>Kubernetes' topologySpreadConstraints with whenUnsatisfiable: DoNotSchedule, counting this Service's replicas.</summary>
public sealed record TopologySpreadConstraint
{
    public string TopologyKey { get; init; } = "";
    /// <summary>The most that one domain may hold above the emptiest eligible domain; at least 1.</summary>
    public int MaxSkew { get; init; } = 1;
}
