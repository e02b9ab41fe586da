"""``python -m lambda_magic.runtime [handler]``: start the built-in runtime in a fresh interpreter."""

from lambda_magic.runtime.bootstrap import main

if __name__ == "__main__":
    main()
