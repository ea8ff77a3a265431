namespace Microsoft.Extensions.Hosting;

/// <summary>The steps something (an order, a kitchen ticket) goes through, in order; off-path statuses have no step.</summary>
public sealed class StatusPath(IReadOnlyList<string> steps)
{
    public IReadOnlyList<string> Steps { get; } = steps;

    /// <summary>The status's place on the path from 0, or -1 when it is off the path (e.g. CANCELLED).</summary>
    public int StepOf(string status)
    {
        for (var i = 0; i < Steps.Count; i++)
            if (Steps[i] == status) return i;
        return -1;
    }

    /// <summary>True when <paramref name="to"/> is the step right after <paramref name="from"/>.</summary>
    public bool IsNextStep(string from, string to)
    {
        var step = StepOf(from);
        return step >= 0 && StepOf(to) == step + 1;
    }
}

/// <summary>How a status change asked for inside a transaction ended; the endpoint maps it to its answer.</summary>
public abstract record StatusChange
{
    public sealed record Moved : StatusChange;

    /// <summary>The thing does not exist, or not for this caller.</summary>
    public sealed record NotFound : StatusChange;

    /// <summary>The rules do not allow the change from <see cref="From"/>.</summary>
    public sealed record Refused(string From) : StatusChange;
}
