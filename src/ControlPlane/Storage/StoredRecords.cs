using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>A value in etcd that does not read as the record its key says it is: a foreign or corrupted write.</summary>
public sealed class UnreadableRecordException(string key, string record, Exception inner)
    : Exception($"{key} in etcd is not a readable {record}: {inner.Message}", inner)
{
    public string Key => key;
}

/// <summary>
/// Reading records from etcd values. One unreadable record must not blind the whole cluster: lists that span services
/// (placement's snapshot, views, metrics, assignment streams) leave it out with a warning, while the reconciler of the
/// service it belongs to reads strictly, fails, and marks that service stuck with the key named (ServiceGrain).
/// </summary>
public static class StoredRecords
{
    /// <exception cref="UnreadableRecordException">the value is not JSON of <typeparamref name="T"/></exception>
    public static T Read<T>(StoredValue stored)
    {
        try
        {
            return Json.Deserialize<T>(stored.Value);
        }
        catch (JsonException e)
        {
            throw new UnreadableRecordException(stored.Key, typeof(T).Name, e);
        }
    }

    /// <summary>The records that read; each one that does not is logged and left out.</summary>
    public static List<T> Readable<T>(IEnumerable<StoredValue> items, Func<StoredValue, T> read, ILogger log)
    {
        var result = new List<T>();
        foreach (var item in items)
        {
            try
            {
                result.Add(read(item));
            }
            catch (UnreadableRecordException e)
            {
                log.LogWarning("left out of a list: {Problem}", e.Message);
            }
        }
        return result;
    }
}
