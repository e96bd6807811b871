namespace Learning.TestSupport;

/// <summary>
/// Two hosts in this process with no silo or gateway port configured (each picks its own, as <c>dotnet run</c> does),
/// for tests about what hosts side by side keep to themselves (ports, metrics). Shared by those tests: a host costs
/// about a CPU-second to start.
/// </summary>
public sealed class EmbeddedHosts : IDisposable
{
    public LearningApiFactory First { get; } = new UnpinnedApiFactory();

    public LearningApiFactory Second { get; } = new UnpinnedApiFactory();

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }

    private sealed class UnpinnedApiFactory : LearningApiFactory
    {
        protected override bool PinClusterPorts => false;
    }
}
