using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Contracts.Tests;

/// <summary>The network view's version is a hash of its JSON, hashed while written: it must be the hash of exactly that JSON.</summary>
[Trait("Category", "Unit")]
public sealed class JsonHashTests
{
    [Fact]
    public void The_streamed_hash_is_the_hash_of_the_serialized_text_also_past_the_serializers_buffer()
    {
        var replicas = Enumerable.Range(0, 20_000).Select(i => new ReplicaStatus
        {
            ReplicaId = $"r{i:D6}", Service = "web", Node = $"n{i % 1000}", State = ReplicaState.Running, Ip = "10.240.0.2", Message = "é ✓",
        }).ToList();
        var text = Json.Serialize(new { replicas });
        Assert.True(text.Length > 1 << 20);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(text)), Json.Sha256Of(new { replicas }));
        Assert.NotEqual(Json.Sha256Of(new { replicas }), Json.Sha256Of(new { replicas = replicas.Skip(1) }));
    }
}
