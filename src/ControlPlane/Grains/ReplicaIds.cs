namespace Orchestrator.ControlPlane.Grains;

/// <summary>Short random replica ids (like a pod name's suffix): lower-case letters and digits, DNS-safe.</summary>
public static class ReplicaIds
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string New() =>
        string.Create(6, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        });
}
