using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class StartFailureTests
{
    // Docker.DotNet wraps the engine's answer as "Docker API responded with status code=X, response=BODY"; the bodies
    // below are what dockerd 20.10 answered (docker create of a missing image; docker run -p on a port a listener holds).
    private const string Wrap = "Docker API responded with status code=";

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "missing image", Wrap + "NotFound, response={\"message\":\"No such image: local/nope:1\"}\n",
            ReplicaReasons.ImageNotFound, "local/nope:1 is not on node vm" },
        { "port held by a program (userland proxy)", Wrap + "InternalServerError, response={\"message\":\"driver failed programming external " +
            "connectivity on endpoint web.1.abc (d9e185d3d80c): Error starting userland proxy: listen tcp4 0.0.0.0:2379: bind: address already in use\"}\n",
            ReplicaReasons.PortInUse, "host port 2379/tcp is already in use on vm" },
        { "udp port held", Wrap + "InternalServerError, response={\"message\":\"Error starting userland proxy: listen udp4 0.0.0.0:5353: bind: address already in use\"}",
            ReplicaReasons.PortInUse, "host port 5353/udp is already in use on vm" },
        { "port held by another container", Wrap + "InternalServerError, response={\"message\":\"driver failed programming external connectivity on " +
            "endpoint x: Bind for 0.0.0.0:8080 failed: port is already allocated\"}\n",
            ReplicaReasons.PortInUse, "host port 8080/tcp is already in use on vm" },
        { "port taken, engine does not say which: the replica's fixed ports", "listen: address already in use",
            ReplicaReasons.PortInUse, "host port 8080/tcp is already in use on vm" },
        { "anything else: the engine's message without JSON", Wrap + "BadRequest, response={\"message\":\"invalid reference format\"}\n",
            ReplicaReasons.CreateFailed, "invalid reference format" },
        { "line breaks and runs of spaces become one space", "first line\r\n\tsecond   line\n",
            ReplicaReasons.CreateFailed, "first line second line" },
        { "JSON that is not an object is kept as text", Wrap + "InternalServerError, response=[1, 2]\n",
            ReplicaReasons.CreateFailed, "[1, 2]" },
        { "broken JSON is kept as text", Wrap + "InternalServerError, response={\"message\": \"cut\n",
            ReplicaReasons.CreateFailed, "{\"message\": \"cut" },
        { "nothing at all", "  \n ", ReplicaReasons.CreateFailed, "the engine gave no reason" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Classifies_and_cleans_engine_errors(string name, string engine, string reason, string message)
    {
        Replica replica = Replica("r1").Image("local/nope:1").Port(80, hostPort: 8080);

        Assert.Equal(new StartFailure(reason, message), StartFailure.Classify(engine, replica, "vm"));
    }

    [Fact]
    public void A_hostile_message_is_cut_to_one_bounded_line()
    {
        var engine = Wrap + "InternalServerError, response={\"message\":\"" + string.Concat(Enumerable.Repeat("bad\\nthing ", 500)) + "\"}\n";

        var cleaned = StartFailure.Clean(engine);

        Assert.Equal(StartFailure.MaxMessageLength, cleaned.Length);
        Assert.EndsWith("...", cleaned);
        Assert.DoesNotContain('\n', cleaned);
        Assert.DoesNotContain("{", cleaned);
    }
}
