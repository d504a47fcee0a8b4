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
    /// <summary>Only the node the route names ({name}) with its own credential, not even an admin: secret values go to
    /// nodes, never to people. The endpoint narrows it further (a replica assigned to the node must use the object).</summary>
    NodeOnly,
    /// <summary>A join token (or an admin), exchanged for the node credential of the route's {name}.</summary>
    Join,
}
