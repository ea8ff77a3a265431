namespace RestMan.Billing;

/// <summary>Billing settings, bound from the "Billing" configuration section.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary>The share of the subtotal added as tax; 0.10 is 10 %.</summary>
    public decimal TaxRate { get; set; } = 0.10m;
}
