using System.Security.Cryptography;

namespace Orchestrator.Tls;

/// <summary>The extended key usages our certificates carry.</summary>
public static class Oids
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
}
