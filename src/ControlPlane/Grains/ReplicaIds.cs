namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// Short random replica ids (like a pod name's suffix): lower-case letters and digits, DNS-safe. An id names one replica
/// in the whole cluster (the agents, the views and the kept scheduling state key by it): 27^6 ids make a clash between
/// two of 30,000 replicas more likely than not, so the one place that creates them (the placement grain, one activation)
/// draws again while the id is <paramref name="taken"/>.
/// </summary>
public static class ReplicaIds
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int Length = 6;

    public static string New(Func<string, bool> taken)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var id = Draw();
            if (!taken(id)) return id;
        }
        throw new InvalidOperationException($"no free replica id after 1000 draws of {Length} characters");
    }

    private static string Draw() =>
        string.Create(Length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        });
}
