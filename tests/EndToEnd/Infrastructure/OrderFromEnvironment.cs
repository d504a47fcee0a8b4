using Xunit.Abstractions;
using Xunit.Sdk;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// The order of a class's tests by method name, or reversed with ORC_TEST_ORDER=reverse: a class whose tests share a
/// fixture is run in both orders to show that no test passes only because another ran before or after it.
/// </summary>
public sealed class OrderFromEnvironment : ITestCaseOrderer
{
    public const string TypeName = "Orchestrator.EndToEnd.Infrastructure.OrderFromEnvironment";
    public const string AssemblyName = "Orchestrator.EndToEnd";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase
    {
        var byName = testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal).ToList();
        if (Environment.GetEnvironmentVariable("ORC_TEST_ORDER") == "reverse") byName.Reverse();
        return byName;
    }
}
