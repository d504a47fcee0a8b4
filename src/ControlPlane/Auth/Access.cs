namespace Orchestrator.ControlPlane.Auth;

/// <summary>Who may call a route (one row of <see cref="AuthorizationTable"/>).</summary>
public enum Access
{
    /// <summary>Anyone, with or without a token.</summary>
    Anonymous,
    /// <summary>A viewer or an admin token: reads that are neither secrets nor logs.</summary>
    Viewer,
    /// <summary>A viewer or an admin token, or any node's credential: what every agent reads of the others (the node list
    /// and their subnets, as flannel reads it).</summary>
    ViewerOrNode,
    /// <summary>Only an admin token.</summary>
    Admin,
    /// <summary>The node the route names ({name}) with its own credential, or an admin.</summary>
    NodeSelf,
    /// <summary>A join token (or an admin), exchanged for the node credential of the route's {name}.</summary>
    Join,
}
