package warmup;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import java.util.Map;

/** Training: handlers found by method name. */
public class Methods {
    public String upper(String text, Context context) {
        return text.toUpperCase();
    }

    public void nothing(Map<String, Object> event) {
        System.out.println(event.size());
    }

    public static int count(List<Object> items) {
        return items.size();
    }
}
