namespace Microsoft.Extensions.Hosting;

/// <summary>Amounts of money as every service computes them: prices, line totals, bills and reports.</summary>
public static class Money
{
    /// <summary>To whole cents, halves away from zero, as a till does (not banker's rounding).</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static decimal LineTotal(decimal unitPrice, int quantity) => Round(unitPrice * quantity);
}
