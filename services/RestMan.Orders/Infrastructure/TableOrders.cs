using RestMan.Data;
using RestMan.Orders.Model;

namespace RestMan.Orders.Infrastructure;

// Placeholder until issue-25a's "Table orders:" commit brings the real TableOrders; replaced by theirs on merge.
public sealed class TableOrders
{
    public Task<Guid> OpenAsync(UnitOfWork tx, DiningTable table, int covers, Guid? reservationId, StatusChanger changer, CancellationToken ct) =>
        throw new NotSupportedException("Table orders arrive with issue-25a.");
}
