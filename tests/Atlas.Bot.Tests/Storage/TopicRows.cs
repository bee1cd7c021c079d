using System.Data.Common;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// Writes an item's topics straight into item_topics, as the store does when it records an item with categories: the
/// topic tests need topics without depending on how the feeds' categories reach the store.
/// </summary>
public static class TopicRows
{
    /// <param name="itemKey">An item already recorded (its item_key).</param>
    /// <param name="topics">Each topic's key (Feeds.TopicKey) and its spelling.</param>
    public static async Task AddTopicsAsync(this TempDatabase database, string itemKey, params (string Key, string Topic)[] topics)
    {
        await using var connection = database.Connect();
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO item_topics (item_seq, topic_key, topic) SELECT seq, @key, @topic FROM items WHERE item_key = @item;";
        Add(command, "@item", itemKey);
        var key = Add(command, "@key", "");
        var topic = Add(command, "@topic", "");
        foreach (var each in topics)
        {
            key.Value = each.Key;
            topic.Value = each.Topic;
            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
