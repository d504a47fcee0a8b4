namespace Orchestrator.ControlPlane.Auth;

/// <summary>Who may call a route (one row of <see cref="AuthorizationTable"/>).</summary>
public enum Access
{
    /// <summary>Anyone, with or without a token.</summary>
    Anonymous,
    /// <summary>A viewer or an admin token: reads that are neither secrets nor logs.</summary>
    Viewer,
    /// <summary>Only an admin token.</summary>
    Admin,
    /// <summary>The node the route names ({name}) with its own credential, or an admin.</summary>
    NodeSelf,
    /// <summary>A join token (or an admin), exchanged for the node credential of the route's {name}.</summary>
    Join,
}
