using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>Readiness, crash loops, restart policies and probes as `get replicas` and `describe service` show them.</summary>
[Trait("Category", "Unit")]
public sealed class HealthDisplayTests
{
    private static ReplicaView With(ReplicaView view, Func<ReplicaStatus, ReplicaStatus> change) => view with { Status = change(view.Status!) };

    [Fact]
    public async Task Replicas_show_ready_and_when_a_crash_loop_retries()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/replicas?service=web", new[]
        {
            With(Samples.Replica("web", 1, "a1b2c", "n1"), s => s with { Ready = true, Ip = "10.240.0.2" }),
            With(Samples.Replica("web", 2, "d3e4f", "n2", ReplicaState.CrashLoopBackOff, hostPort: null, exitCode: 1),
                s => s with { NextRestartAt = Orc.Now.AddSeconds(4) }),
            With(Samples.Replica("web", 3, "g5h6i", "n2", ReplicaState.Failed, hostPort: null, exitCode: 1),
                s => s with { Message = "exited with code 1; gave up after 3 restarts" }),
        });

        var run = await Orc.RunAsync(api, "get", "replicas", "--service", "web", "-o", "wide");

        Assert.Equal(
        [
            "NAMESPACE   SERVICE   REPLICA       NODE   STATE                                 READY   CONTAINER      PORTS                       AGE   IP           RESTARTS   MESSAGE",
            "default     web       web.1.a1b2c   n1     Running                               yes     4f2a9c1b7d3e   127.0.0.1:32768->8080/tcp   3h    10.240.0.2   1          <none>",
            "default     web       web.2.d3e4f   n2     CrashLoopBackOff (next retry in 4s)   no      4f2a9c1b7d3e   <none>                      3h    <none>       1          <none>",
            "default     web       web.3.g5h6i   n2     Failed                                no      4f2a9c1b7d3e   <none>                      3h    <none>       1          exited with code 1; gave up after 3 restarts",
        ], run.OutLines);
    }

    [Fact]
    public async Task Describe_shows_the_restart_policy_and_probes_when_set()
    {
        var view = Samples.Service("web");
        var detail = new ServiceDetail
        {
            Service = view.Service with
            {
                Spec = view.Service.Spec with
                {
                    RestartPolicy = new RestartPolicy { Condition = RestartCondition.OnFailure, MaxAttempts = 3 },
                    LivenessProbe = new Probe { Exec = new() { Command = ["sh", "-c", "test -f /tmp/healthy"] }, PeriodSeconds = 5 },
                    ReadinessProbe = new Probe { HttpGet = new() { Path = "/ready", Port = 8080 }, SuccessThreshold = 2 },
                },
            },
            Status = view.Status,
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", detail);

        var run = await Orc.RunAsync(api, "describe", "service", "web");

        Assert.Contains("Restart:      on-failure maxAttempts=3 delay=1s maxDelay=30s", run.OutLines);
        Assert.Contains("Liveness:     exec [sh -c test -f /tmp/healthy] delay=0s timeout=1s period=5s #success=1 #failure=3", run.OutLines);
        Assert.Contains("Readiness:    http-get :8080/ready delay=0s timeout=1s period=10s #success=2 #failure=3", run.OutLines);
    }
}
