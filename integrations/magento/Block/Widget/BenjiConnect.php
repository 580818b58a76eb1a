<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

/**
 * <benji-connect>: connect a loyalty account with Benji Connect (a modal dialog unless inline).
 */
class BenjiConnect extends AbstractElement
{
    protected const TAG = 'benji-connect';
    protected const CONFIG_GROUP = 'benji';
    protected const SUCCESS = 'success';
    protected const DEFAULT_NAME = 'rewards';

    public function isModal(): bool
    {
        return $this->flag('modal', true);
    }

    protected function providerAttributes(): array
    {
        return [
            'environment' => $this->param('environment') ?? $this->config('environment'),
            'inline' => !$this->isModal(),
            'session-url' => $this->sessionUrl(),
        ];
    }
}
