namespace Alrs.Tests.Shared;

/// <summary>
/// The real PostgreSQL server the cluster-store tests use, named by ALRS_TEST_POSTGRES
/// (<c>bash .ci/postgres &amp;&amp; source /var/tmp/alrs-postgres/env</c> starts one on loopback).
/// Without it a test that needs it is reported as skipped with the reason, never passed;
/// under CI=true it fails instead, so CI cannot lose these tests silently.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "ALRS_TEST_POSTGRES";

    /// <summary>The connection string, or null when the variable is unset.</summary>
    public static string? Find() => Environment.GetEnvironmentVariable(Variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The connection string; otherwise skips the calling <c>[SkippableFact]</c> (fails it when CI=true).</summary>
    public static string Require()
    {
        if (Find() is { } connection) return connection;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"{Variable} is not set but CI=true: run .ci/postgres and source the env file it names before dotnet test");
        throw new SkipException($"{Variable} is not set: no PostgreSQL server to test against (bash .ci/postgres && source /var/tmp/alrs-postgres/env starts one)");
    }
}
