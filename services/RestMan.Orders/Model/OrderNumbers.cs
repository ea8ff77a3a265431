namespace RestMan.Orders.Model;

/// <summary>
/// The short numbers orders are called by: <c>A-001</c> … <c>A-999</c>, then <c>B-001</c> …, per restaurant per day.
/// Past <c>Z-999</c> the digits simply grow (<c>Z-1000</c>), still unique.
/// </summary>
public static class OrderNumberFormat
{
    public const int PerLetter = 999;

    public static string Format(int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var letter = Math.Min(25, (sequence - 1) / PerLetter);
        return $"{(char)('A' + letter)}-{sequence - letter * PerLetter:000}";
    }
}

/// <summary>
/// A run of numbers one service instance took from the restaurant's daily counter: [<see cref="First"/>,
/// <see cref="First"/> + <see cref="Size"/>). Handing them out needs no database; a block left over at a restart is a gap.
/// </summary>
public sealed class OrderNumberBlock(int first, int size)
{
    private int _next = first;

    public int First { get; } = first;
    public int Size { get; } = size;

    /// <summary>The next sequence number of the block, or null once it is used up.</summary>
    public int? Take() => _next < First + Size ? _next++ : null;
}
