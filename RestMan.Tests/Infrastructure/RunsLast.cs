using Xunit.Abstractions;
using Xunit.Sdk;

namespace RestMan.Tests.Infrastructure;

/// <summary>
/// A test that leaves its class's graph changed for good (e.g. replicas killed and not started again): with
/// <see cref="RunsLastOrderer"/> on the class, it runs after the class's other tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>xUnit's own order (by unique id), except that tests marked <see cref="RunsLastAttribute"/> come after the others.</summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "RestMan.Tests.Infrastructure.RunsLastOrderer";
    public const string AssemblyName = "RestMan.Tests";

    private static readonly string Attribute = typeof(RunsLastAttribute).AssemblyQualifiedName!;

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(Attribute).Any()).ThenBy(t => t.UniqueID, StringComparer.Ordinal);
}
