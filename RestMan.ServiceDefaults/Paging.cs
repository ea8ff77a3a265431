using System.Globalization;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// List endpoints' <c>?page=&amp;page_size=</c>: pages count from 1; 20 a page unless asked, never more than 100. The first
/// implementation's <c>?limit=&amp;offset=</c> is still accepted where it had it (<see cref="ParseWindow"/>).
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static (int Page, int PageSize) Parse(string? page, string? pageSize, InputRules errors, int defaultPageSize = DefaultPageSize)
    {
        var parsedPage = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out parsedPage) || parsedPage < 1))
            errors.Add("page", "must be a whole number from 1.");
        var parsedSize = defaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out parsedSize)
                                     || parsedSize is < 1 or > MaxPageSize))
            errors.Add("page_size", $"must be a whole number from 1 to {MaxPageSize}.");
        return (parsedPage, parsedSize);
    }

    /// <summary>
    /// Rows to skip and take: from <c>limit/offset</c> when either is given (the first implementation's spelling), else
    /// from <c>page/page_size</c>.
    /// </summary>
    public static (int Take, int Skip) ParseWindow(
        string? page, string? pageSize, string? limit, string? offset, InputRules errors, int defaultPageSize = DefaultPageSize)
    {
        if (limit is null && offset is null)
        {
            var (number, size) = Parse(page, pageSize, errors, defaultPageSize);
            return (size, (int)Math.Min((long)(number - 1) * size, int.MaxValue));
        }

        var take = defaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxPageSize))
            errors.Add("limit", $"must be a whole number from 1 to {MaxPageSize}.");
        var skip = 0;
        if (offset is not null && !int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            errors.Add("offset", $"must be a whole number from 0 to {int.MaxValue}.");
        return (take, skip);
    }
}
